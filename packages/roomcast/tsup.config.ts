import { packageBuild } from '../../tsup.base';

// Two entries: dist/index.js is the server side (Node); dist/client.js is `roomcast/client`, safe
// for browser bundles.
export default packageBuild({ entry: ['src/index.ts', 'src/client.ts'] });
