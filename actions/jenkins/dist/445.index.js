const T=445,U=[445,795],f={9795:((u,l,e)=>{e.r(l),e.d(l,{deploymentIdArgument:()=>m,statusCommand:()=>E});var i=e(5143),y=e(5043),D=e(5197),_=e(8459),s=e(1280),a=e(690),d=e(7218),t=e(3722),r=e(1950),M=e(5899),p=e(5308),n=e(7489);function m(c,o){if(/^d-[A-Za-z0-9]{6,}$/.test(o))return o;throw new _.oC(`${c}: "${o}" is not a deployment id`,{hint:"Deployment ids look like d-A1B2C3D4E (aws deploy list-deployments lists them)."})}const E={usage:`Usage: codedeploy-gate status DEPLOYMENT_ID [--region REGION] [--profile NAME] [--json]

One look at a deployment, without waiting: its status, a row per target, each failure's lifecycle
event, error code, script and log tail (credentials in it masked as ***), and the console link. With
--json, the deployment part of the report schema (codedeploy-gate/report@1) and maskedValues on
stdout.

Options:
${(0,n.le)()}

Exit status: 0 succeeded or still running, 1 failed or stopped, 2 no such deployment, 4 AWS or
network failure.`,async run({argv:c,output:o,env:h,signal:A}){const{values:W,positionals:v}=(0,p.Qx)("status",c,n.VD),C=m("status",(0,p.PN)("status","DEPLOYMENT_ID",v)),I=await(0,n.Gu)(h,W),g=(0,i.u)(I);try{const L=await(0,a.i8)(g,C,{signal:A}),R=await(0,a.nJ)(g,C,{signal:A}),O=new d.j(o.masker),P=(0,t.IK)(L,R,(0,y.Zv)(I),{masking:O,awsConsole:await(0,D.$)(g)});return o.json?o.result({deployment:P,maskedValues:O.count}):(o.line((0,r.bb)(P,o)),O.count>0&&o.line(o.dim((0,M.sB)(O.count)))),P.status==="Failed"||P.status==="Stopped"?s.y.DeploymentFailed:s.y.Success}finally{g.destroy()}}}}),1445:((u,l,e)=>{e.r(l),e.d(l,{stopCommand:()=>d});var i=e(5143),y=e(1280),D=e(9187),_=e(5308),s=e(7489),a=e(9795);const d={usage:`Usage: codedeploy-gate stop DEPLOYMENT_ID [--rollback] [--region REGION] [--profile NAME] [--json]

StopDeployment: no further lifecycle events are scheduled. With --rollback, CodeDeploy then redeploys
the group's last successful revision as a new deployment (its id is in \`status\`). A deployment that
already ended is reported, not treated as an error.

Options:
${(0,s.le)()}

Exit status: 0 stopped (or already ended), 2 not a deployment id or no such deployment, 4 AWS or
network failure.`,async run({argv:t,output:r,env:M,signal:p}){const{values:n,positionals:m}=(0,_.Qx)("stop",t,{rollback:{type:"boolean"},...s.VD}),E=(0,a.deploymentIdArgument)("stop",(0,_.PN)("stop","DEPLOYMENT_ID",m)),c=(0,i.u)(await(0,s.Gu)(M,n));try{const o=await(0,D.U)(c,E,{rollback:n.rollback===!0,signal:p});return r.json?r.result({deploymentId:E,rollback:n.rollback===!0,...o}):o.status==="AlreadyCompleted"?r.line(`deployment ${E} had already ended`):r.line(`deployment ${E} ${o.status==="Pending"?"is stopping":"stopped"}${n.rollback?", rollback requested":""}${o.message?`: ${o.message}`:""}`),y.y.Success}finally{c.destroy()}}}}),9187:((u,l,e)=>{e.d(l,{U:()=>_});var i=e(8578),y=e(8459),D=e(5874);async function _(s,a,d){try{const t=await s.send(new i.NzN({deploymentId:a,autoRollbackEnabled:d.rollback}),d.signal?{abortSignal:d.signal}:{});return{status:t.status==="Pending"?"Pending":"Succeeded",message:t.statusMessage??""}}catch(t){if(t.name==="DeploymentAlreadyCompletedException")return{status:"AlreadyCompleted",message:t.message};throw t.name==="DeploymentDoesNotExistException"?new y.oC(`deployment ${a} does not exist`,{hint:"Check the id and the region (--region, AWS_REGION): deployments are regional.",cause:t}):(0,D.A)(`stopping deployment ${a}`,t)}}})};export{T as id,U as ids,f as modules};
