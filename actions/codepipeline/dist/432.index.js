const l=432,e=[432],c={3432:((_,n,t)=>{t.r(n),t.d(n,{createLambdaClient:()=>o});var a=t(68),d=t(5143);function o(s={}){return new a.Nox((0,d.r)("lambda",s))}})};export{l as id,e as ids,c as modules};
