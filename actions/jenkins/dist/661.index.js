const C=661,L=[661],N={7661:((I,p,a)=>{a.r(p),a.d(p,{planCommand:()=>F,printPlan:()=>m});var $=a(8459),y=a(7669),u=a(2472),i=a(4279);const h=200;function w(n){const t=[],s=e=>e.replace(/\|/g,"\\|").replace(/\n/g," ");if(t.push(`### ${n.blocking?"\u2717":"\u2713"} Deployment plan: ${n.application}/${n.deploymentGroup}`,""),t.push((0,i.Ft)(n),""),t.push("**Revision**","","```",...(0,i.n6)(n).map(e=>e.trim()),"```",""),n.live){const e=n.live.bytesDownloaded!==void 0&&n.live.size?` (listed from ${(0,i.Xq)(n.live.bytesDownloaded)} of ${(0,i.Xq)(n.live.size)}, ${(0,i.KN)(n.live.bytesDownloaded,n.live.size)})`:"";t.push(`**Live revision** \`${n.live.deploymentId}\`: \`${n.live.location}\`${e}`,"")}if(n.files){const e=n.files;if(t.push(`**Files**: ${e.added} added, ${e.removed} removed, ${e.changed} changed, ${e.unchanged} unchanged`,""),e.entries.length>0){t.push("| | Path | Size, mode |","|---|---|---|");for(const o of e.entries.slice(0,h))t.push(`| ${o.change} | \`${s(o.path)}\` | ${s((0,i.g)(o))} |`);e.entries.length>h&&t.push("",`\u2026 and ${e.entries.length-h} more (see the JSON plan)`),t.push("")}}if(n.appspec){t.push(`**AppSpec**: ${n.appspec.length===0?"unchanged":""}`,"");for(const e of n.appspec)t.push(`- ${s((0,i.HX)(e))}`);n.appspec.length>0&&t.push("")}if(n.rollout){const e=n.rollout;t.push(`**Rollout**: ${e.deploymentConfig}, ${e.targets} instance(s), ${e.minimumHealthy} must stay healthy, ${e.batchSize} at a time`,""),e.batches.length>0&&(t.push("| Batch | Instances |","|---|---|"),e.batches.forEach((o,c)=>{t.push(`| ${c+1} | ${o.map(r=>`${s(r.id)} (${r.standing})`).join(", ")} |`)}),t.push("")),t.push(`${e.failsWhen}. Targets: ${e.targetSource}.`,"")}if(n.compute){const e=n.compute;t.push(`**${e.kind==="lambda"?"Lambda":"ECS"}** \`${e.target}\`: ${e.from} \u2192 ${e.to}`,""),e.loadBalancer&&t.push(`- load balancer \u2192 container \`${e.loadBalancer}\``);for(const o of e.changes)t.push(`- ${s((0,i.Ht)(o))}`);t.push("")}if(n.traffic){const e=n.traffic;if(t.push(`**Traffic**: ${e.deploymentConfig}: ${e.description}`,""),e.steps.length>1){t.push("| After | On the new version |","|---|---|");for(const o of e.steps)t.push(`| ${o.atMinutes} min | ${o.percent} % |`);t.push("")}for(const o of e.waits)t.push(`- ${s(o)}`);e.waits.length>0&&t.push("")}if(n.safeguards&&t.push(...(0,i.eK)(n.safeguards).map(e=>`- ${s(e)}`),""),n.findings.length>0){t.push("**Findings**","");for(const e of n.findings)t.push(`- **${e.severity}**: ${s(e.message)}${e.hint?` \u2014 ${s(e.hint)}`:""}`);t.push("")}return t.join(`
`)}function v(n){return`${JSON.stringify(n,null,2)}
`}async function S(n,t,s={json:"the JSON plan",markdown:"the Markdown plan"},e=o=>({text:o,count:0,found:[]})){const o=[];return t.json!==void 0&&o.push(await(0,u.BF)(t.json,e(v(n)).text,{what:s.json,createFolders:!0})),t.markdown!==void 0&&o.push(await(0,u.BF)(t.markdown,e(w(n)).text,{what:s.markdown,createFolders:!0})),o}var k=a(5308),f=a(7489),j=a(7448),l=a(5842),b=a(7718);const E={json:"--report-json",markdown:"--report-markdown"},F={usage:`Usage: codedeploy-gate plan --application APP --deployment-group GROUP REVISION [deploy options]

Takes exactly the options of \`deploy\` (see \`codedeploy-gate deploy --help\`) and makes read calls
only: nothing is uploaded, registered, published or created. It prints
  - the revision: the bundle's sha256 and size, and whether that exact bundle is already in S3;
  - what changes against the live revision (the group's last successful deployment): files added,
    removed and changed, listed from the live bundle's zip central directory with HTTP range
    requests (a tar is streamed once), and the appspec's hooks, scripts, files and permissions;
  - for Lambda and ECS: the alias's version or the service's task definition \u2192 the new one, and
    the settings that differ (environment variable names, never values);
  - how it would roll out: batches of instances in CodeDeploy's order (unhealthy, unknown, old,
    current), the minimum healthy hosts and the point at which the deployment would fail; Lambda and
    ECS traffic steps with their times and blue/green waits; auto-rollback, alarms, expected duration;
  - what would stop it: an active deployment in the group (unless --queue), no instances, a
    configuration whose minimum healthy hosts the group cannot meet.

  --report-json FILE       write the plan as JSON (schema codedeploy-gate/plan@1)
  --report-markdown FILE   ... as Markdown (a pull-request comment, a job summary)
  --json                   print the plan as JSON on stdout
${(0,f.le)()}

${l.REVISION_USAGE}

${j.gE}

Deployment options as for deploy (--deployment-config, --queue, --auto-rollback, --format, --exclude,
...); gate options (--timeout, --on-timeout, ...) are accepted and have no effect: nothing is watched.

Exit status: 0 nothing blocks the deployment, 1 a blocking finding (named), 2 invalid input or
configuration, 4 AWS or network failure.`,async run(n){const{argv:t,output:s,env:e,cwd:o,signal:c}=n,{values:r,positionals:O}=(0,k.Qx)("plan",t,l.DEPLOY_OPTIONS);for(const d of["report-junit","report-properties"])if(r[d]!==void 0)throw new $.oC(`plan: --${d} is a deployment's report; a plan has none`,{hint:"Use --report-json or --report-markdown for the plan."});const P=(0,l.deploymentTarget)(r,O,o,"plan"),g=await(0,b.dJ)(r,o),x=await(0,y.H)({...P,...await(0,f.Gu)(e,g),signal:c,onCheck:d=>s.progress(d)});return m(x,s,g.reports)}};async function m(n,t,s){const e=await S(n,{json:s.json,markdown:s.markdown},E,t.masker);if(t.json)t.result(n);else{t.line((0,i.Dh)(n,t));for(const o of e)t.line(t.dim(`plan: ${o}`))}return n.exitCode}})};export{C as id,L as ids,N as modules};
