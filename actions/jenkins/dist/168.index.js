const l=168,a=[168],h={4661:((c,t,s)=>{s.d(t,{C:()=>_});function _(n){const r=n.problems.map(e=>{const i=`${e.file}:${e.line}:${e.column}`,f=e.path===""?"":` ${e.path}:`;return`${i} ${e.severity}${f} ${e.message}
    hint: ${e.hint}`}),$=n.problems.filter(e=>e.severity==="error").length,u=n.problems.length-$;return r.push(`${o($,"error")}, ${o(u,"warning")} in ${n.file}`),r.join(`
`)}function o(n,r){return`${n} ${r}${n===1?"":"s"}`}}),3168:((c,t,s)=>{s.d(t,{formatProblems:()=>_.C});var _=s(4661)})};export{l as id,a as ids,h as modules};
