const L=977,W=[977,795],K={9795:((T,n,e)=>{e.r(n),e.d(n,{deploymentIdArgument:()=>c,statusCommand:()=>p});var i=e(5143),r=e(5043),t=e(5197),D=e(8459),M=e(1280),y=e(690),I=e(7218),l=e(3722),v=e(1950),A=e(5899),O=e(5308),s=e(7489);function c(E,o){if(/^d-[A-Za-z0-9]{6,}$/.test(o))return o;throw new D.oC(`${E}: "${o}" is not a deployment id`,{hint:"Deployment ids look like d-A1B2C3D4E (aws deploy list-deployments lists them)."})}const p={usage:`Usage: codedeploy-gate status DEPLOYMENT_ID [--region REGION] [--profile NAME] [--json]

One look at a deployment, without waiting: its status, a row per target, each failure's lifecycle
event, error code, script and log tail (credentials in it masked as ***), and the console link. With
--json, the deployment part of the report schema (codedeploy-gate/report@1) and maskedValues on
stdout.

Options:
${(0,s.le)()}

Exit status: 0 succeeded or still running, 1 failed or stopped, 2 no such deployment, 4 AWS or
network failure.`,async run({argv:E,output:o,env:C,signal:g}){const{values:a,positionals:u}=(0,O.Qx)("status",E,s.VD),m=c("status",(0,O.PN)("status","DEPLOYMENT_ID",u)),_=await(0,s.Gu)(C,a),d=(0,i.u)(_);try{const h=await(0,y.i8)(d,m,{signal:g}),B=await(0,y.nJ)(d,m,{signal:g}),P=new I.j(o.masker),f=(0,l.IK)(h,B,(0,r.Zv)(_),{masking:P,awsConsole:await(0,t.$)(d)});return o.json?o.result({deployment:f,maskedValues:P.count}):(o.line((0,v.bb)(f,o)),P.count>0&&o.line(o.dim((0,A.sB)(P.count)))),f.status==="Failed"||f.status==="Stopped"?M.y.DeploymentFailed:M.y.Success}finally{d.destroy()}}}}),4300:((T,n,e)=>{e.r(n),e.d(n,{waitCommand:()=>A});var i=e(5143),r=e(5043),t=e(3563),D=e(5308),M=e(1029),y=e(7489),I=e(9932),l=e(7718),v=e(9795);const A={usage:`Usage: codedeploy-gate wait DEPLOYMENT_ID [options]

Watches a deployment someone else created (or \`deploy --no-wait\` did) exactly as \`deploy\` would,
with the same progress, diagnostics, reports and exit codes. It makes fewer calls than
\`aws deploy wait deployment-successful\` and notices the end sooner (see bench/README.md).

Options:
${l.y3.replace(`(default for both: rollback when the group has a successful deployment
                           to return to, else stop)`,"(default for both here: leave; this command did not start it)")}
  --json                   print the report as JSON on stdout

Exit status: 0 succeeded, 1 failed or stopped, 2 no such deployment, 3 gate timed out, 4 AWS or
network failure,
130/143 interrupted by SIGINT/SIGTERM.`,async run({argv:O,output:s,env:c,cwd:p,signal:E}){const{values:o,positionals:C}=(0,D.Qx)("wait",O,l.FF),g=(0,v.deploymentIdArgument)("wait",(0,D.PN)("wait","DEPLOYMENT_ID",C)),a=await(0,l.dJ)(o,p),u=await(0,y.Gu)(c,a),m=(0,i.u)(u),_=new M.M(s);try{const{report:d}=await(0,t.T1)({client:m,deploymentId:g,region:(0,r.Zv)(u),signal:E,timeoutMs:a.timeoutMs,onTimeout:a.onTimeout??"leave",onCancel:a.onCancel??"leave",cancelBudgetMs:a.cancelBudgetMs,continueAfter:a.continueAfter,verificationCwd:p,verificationEnv:c,masker:s.masker,pacing:a.pacing,liveTargets:s.interactive,onEvent:h=>_.handle(h)});return _.stop(),await(0,I.J)(d,a.reports,s)}finally{_.stop(),m.destroy()}}}}),1696:((T,n,e)=>{e.d(n,{h:()=>i,t:()=>r});function i(t){return t.isFile()?"a regular file":t.isDirectory()?"a folder":t.isCharacterDevice()?"a character device":t.isBlockDevice()?"a block device":t.isFIFO()?"a named pipe (FIFO)":t.isSocket()?"a socket":t.isSymbolicLink()?"a symbolic link":"not a regular file"}function r(t){return t%(1024*1024)===0?`${t/(1024*1024)} MiB`:t%1024===0?`${t/1024} KiB`:`${t} bytes`}})};export{L as id,W as ids,K as modules};
