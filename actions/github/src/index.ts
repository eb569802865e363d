import { runMain } from './main.js';
import { runPost } from './post.js';

/*
 * One bundle serves both steps of action.yml: dist/post.js sets this flag and imports dist/index.js.
 * The flag is set by the file the runner starts, not read from saved state, so a main step that died
 * before saving anything can never make the post step deploy again.
 */
const phase = (globalThis as { codedeployGatePhase?: string }).codedeployGatePhase;
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
await (phase === 'post' ? runPost() : runMain());
