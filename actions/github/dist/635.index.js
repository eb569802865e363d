const _=635,g=[635],h={5781:((f,a,n)=>{n.d(a,{lc:()=>o,qj:()=>s});var r=n(8459);function u(e){if(e==="")return"the name is empty";if(e.includes("\0"))return"the name contains a NUL byte";if(e.includes("\\"))return"the name contains a backslash, which Windows extractors read as a separator";if(e.startsWith("/"))return"the name is absolute";if(Buffer.from(e,"utf8").toString("utf8")!==e)return"the name is not valid UTF-8";for(const t of e.split("/")){if(t==="..")return"the name has a '..' segment";if(t==="."||t==="")return"the name has an empty or '.' segment"}}function o(e){const t=u(e);if(t!==void 0)throw new r.rJ(`Refusing to bundle ${JSON.stringify(e)}: ${t}`,{entry:e,hint:"Rename the file or exclude it with --exclude or .codedeployignore."})}function s(e){return e.map(t=>({item:t,key:Buffer.from(t.path,"utf8")})).sort((t,i)=>Buffer.compare(t.key,i.key)).map(({item:t})=>t)}}),2807:((f,a,n)=>{n.d(a,{Z4:()=>o,ar:()=>l,lg:()=>s,tl:()=>t,xm:()=>m});var r=n(8877),u=n(714);const o=8*1024*1024,s=`(function (v8, vm) {
  try {
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc');
    v8.setFlagsFromString('--no-expose-gc');
    return typeof gc === 'function' ? () => gc() : undefined;
  } catch {
    return undefined;
  }
})`;let e=null;function t(){return e===null&&(e=new Function(`return ${s}`)()({setFlagsFromString:r.setFlagsFromString},{runInNewContext:u.runInNewContext})),e}let i=!1;function l(){i||(i=!0,(0,r.setFlagsFromString)("--semi-space-growth-factor=1"))}class m{collect;bytes=0;constructor(c=t()){this.collect=c}dropped(c){this.bytes+=c,!(this.bytes<o)&&(this.bytes=0,this.collect?.())}}})};export{_ as id,g as ids,h as modules};
