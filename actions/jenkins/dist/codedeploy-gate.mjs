// The CLI bundle the wrapper runs: index.js and the chunks it loads on demand.
import './index.js';
