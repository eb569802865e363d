const R=795,U=[795],f={9795:((K,d,o)=>{o.r(d),o.d(d,{deploymentIdArgument:()=>c,statusCommand:()=>C});var O=o(5143),m=o(5043),M=o(5197),P=o(8459),l=o(1280),r=o(690),p=o(7218),g=o(3722),I=o(1950),A=o(5899),E=o(5308),n=o(7489);function c(_,t){if(/^d-[A-Za-z0-9]{6,}$/.test(t))return t;throw new P.oC(`${_}: "${t}" is not a deployment id`,{hint:"Deployment ids look like d-A1B2C3D4E (aws deploy list-deployments lists them)."})}const C={usage:`Usage: codedeploy-gate status DEPLOYMENT_ID [--region REGION] [--profile NAME] [--json]

One look at a deployment, without waiting: its status, a row per target, each failure's lifecycle
event, error code, script and log tail (credentials in it masked as ***), and the console link. With
--json, the deployment part of the report schema (codedeploy-gate/report@1) and maskedValues on
stdout.

Options:
${(0,n.le)()}

Exit status: 0 succeeded or still running, 1 failed or stopped, 2 no such deployment, 4 AWS or
network failure.`,async run({argv:_,output:t,env:B,signal:i}){const{values:L,positionals:T}=(0,E.Qx)("status",_,n.VD),D=c("status",(0,E.PN)("status","DEPLOYMENT_ID",T)),y=await(0,n.Gu)(B,L),e=(0,O.u)(y);try{const W=await(0,r.i8)(e,D,{signal:i}),v=await(0,r.nJ)(e,D,{signal:i}),s=new p.j(t.masker),a=(0,g.IK)(W,v,(0,m.Zv)(y),{masking:s,awsConsole:await(0,M.$)(e)});return t.json?t.result({deployment:a,maskedValues:s.count}):(t.line((0,I.bb)(a,t)),s.count>0&&t.line(t.dim((0,A.sB)(s.count)))),a.status==="Failed"||a.status==="Stopped"?l.y.DeploymentFailed:l.y.Success}finally{e.destroy()}}}})};export{R as id,U as ids,f as modules};
