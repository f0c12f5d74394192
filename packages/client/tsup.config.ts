import { packageBuild } from '../../tsup.base';

// Two entries: dist/index.js may import `ws`; dist/browser.js uses the global WebSocket only.
export default packageBuild({ entry: ['src/index.ts', 'src/browser.ts'] });
