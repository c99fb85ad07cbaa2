// Loads the client. Absolute paths, so deep links such as /reviews/7 work.
import init from '@JS@';
await init({ module_or_path: '@WASM@' });
