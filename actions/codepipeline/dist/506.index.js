const E=506,d=[506],l={9506:((o,t,s)=>{s.r(t),s.d(t,{createEcsClient:()=>e});var n=s(9894),c=s(5143);function e(_={}){return new n.Zgc((0,c.r)("ecs",_))}})};export{E as id,d as ids,l as modules};
