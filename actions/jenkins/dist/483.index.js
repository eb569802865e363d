const m=483,$=[483],y={5308:((g,p,r)=>{r.d(p,{PN:()=>u,Qx:()=>l,Yq:()=>h,mw:()=>o});var f=r(7975),i=r(8459);const a={json:{type:"boolean"},debug:{type:"boolean"},help:{type:"boolean",short:"h"}};function l(e,t,n){try{const{values:d,positionals:c}=(0,f.parseArgs)({args:t,options:{...n,...a},allowPositionals:!0,strict:!0});return{values:d,positionals:c}}catch(d){const c=d.message.replace(/\. To specify a positional argument.*$/s,"");throw new i.oC(`${e}: ${c}`,{hint:`Run \`codedeploy-gate ${e} --help\` for the options.`})}}function u(e,t,n){const[d,...c]=n;if(d===void 0||c.length>0)throw new i.oC(d===void 0?`${e}: missing ${t}`:`${e}: expected one ${t}, got ${n.length}`,{hint:`Usage: codedeploy-gate ${e} ${t} [options]; see --help.`});return d}function h(e,t,n){if(t!==void 0){if(n.includes(t))return t;throw new i.oC(`${e} must be one of ${n.join(", ")}, not "${t}"`,{hint:`Pass ${e} ${n[0]}.`})}}function o(e,t,n){if(n!==void 0&&n.trim()!=="")return n;throw new i.oC(`${e}: ${t} is required`,{hint:`See codedeploy-gate ${e} --help.`})}}),8483:((g,p,r)=>{r.r(p),r.d(p,{validateCommand:()=>h});var f=r(4661),i=r(1280),a=r(2345),l=r(5308);const u=["server","lambda","ecs"],h={usage:`Usage: codedeploy-gate validate PATH [--platform server|lambda|ecs] [--exclude PATTERN]... [--json]

PATH is a revision folder (appspec.yml, appspec.yaml or appspec.json at its root), a zip/tar/tgz
bundle, or a single appspec file in YAML or JSON whatever its name. For a folder or bundle, every
files.source and hook location must exist in it: for a folder, after the default secret-safe ignore
list (see \`package --help\`), .codedeployignore and --exclude, and a path one of them leaves out is an
error naming the rule. A bundle is refused as \`package\` would refuse its tree: a symlink leading out
of it, a name it holds twice, an entry that would land outside the deployment folder. A hook timeout
that is not a finite number of seconds up to 3600 is an error. A Lambda or ECS AppSpec written by hand
is checked with --platform lambda|ecs; \`deploy --lambda-function ...\` and \`deploy --ecs-service ...\`
write and check theirs themselves.

Options:
  --platform P       server (EC2/on-premises), lambda or ecs; detected from Resources when omitted
  --exclude PATTERN  leave matching paths out, gitignore syntax (repeatable; folders only)
  --json             print the result as JSON on stdout
  --debug            show stack traces

Exit status: 0 valid (warnings allowed), 2 invalid or unreadable.`,async run({argv:o,output:e}){const{values:t,positionals:n}=(0,l.Qx)("validate",o,{platform:{type:"string"},exclude:{type:"string",multiple:!0}}),d=(0,l.PN)("validate","PATH",n),c=(0,l.Yq)("--platform",t.platform,u),s=await(0,a.i)(d,{plain:!1,...c?{platform:c}:{},...t.exclude?{exclude:t.exclude}:{}});return e.json?e.result({valid:s.valid,file:s.file,source:s.source,platform:s.platform,errors:s.problems.filter(_=>_.severity==="error").length,warnings:s.problems.filter(_=>_.severity==="warning").length,problems:s.problems}):s.problems.length>0&&e.line((0,f.C)(s)),!e.json&&s.valid&&e.line(e.green(`\u2713 ${s.file} is valid (${s.platform})`)),s.valid?i.y.Success:i.y.InvalidInput}}}),4661:((g,p,r)=>{r.d(p,{C:()=>f});function f(a){const l=a.problems.map(o=>{const e=`${o.file}:${o.line}:${o.column}`,t=o.path===""?"":` ${o.path}:`;return`${e} ${o.severity}${t} ${o.message}
    hint: ${o.hint}`}),u=a.problems.filter(o=>o.severity==="error").length,h=a.problems.length-u;return l.push(`${i(u,"error")}, ${i(h,"warning")} in ${a.file}`),l.join(`
`)}function i(a,l){return`${a} ${l}${a===1?"":"s"}`}})};export{m as id,$ as ids,y as modules};
