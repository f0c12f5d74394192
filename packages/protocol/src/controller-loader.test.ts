import { describe, expect, it } from 'vitest';
import { CONTROLLER_FILE_ENDINGS, loadController, type ModuleFiles } from './controller-loader';

class ChatController {}

/** An in-memory file system: the loader only sees what ModuleFiles gives it. */
function files(modules: Record<string, unknown>): ModuleFiles & { imported: string[] } {
  const imported: string[] = [];
  return {
    imported,
    resolve: (directory, name) => `/app/${directory}/${name}`,
    exists: file => file in modules,
    importFile: async file => {
      imported.push(file);
      return modules[file];
    },
  };
}

describe('loadController', () => {
  it('finds <name>.controller.js before the other endings and returns the default export', async () => {
    const fs = files({
      '/app/controllers/chat.ts': { default: class Other {} },
      '/app/controllers/chat.controller.js': { default: ChatController },
    });
    const Controller = await loadController({ directory: 'controllers', name: 'chat', files: fs });
    expect(Controller).toBe(ChatController);
    expect(fs.imported).toEqual(['/app/controllers/chat.controller.js']);
  });

  it('tries every ending in order, a bare <name>.ts last', async () => {
    expect(CONTROLLER_FILE_ENDINGS.at(0)).toBe('.controller.js');
    expect(CONTROLLER_FILE_ENDINGS.at(-1)).toBe('.ts');
    const fs = files({ '/app/c/chat.ts': { default: ChatController } });
    expect(await loadController({ directory: 'c', name: 'chat', files: fs })).toBe(ChatController);
  });

  it('says what to fix: no directory, no file, no class as default', async () => {
    const none = files({});
    await expect(
      loadController({ directory: undefined, name: 'chat', files: none, requester: 'Route chat.send' }),
    ).rejects.toThrow('Route chat.send uses controllerName "chat" but no controllersDirectory is set');
    await expect(loadController({ directory: 'c', name: 'chat', files: none })).rejects.toThrow(
      /no chat\.controller\.\{js,mjs,ts\} or chat\.\{js,mjs,ts\} in c/,
    );
    const notAClass = files({ '/app/c/chat.js': { default: 42 } });
    await expect(loadController({ directory: 'c', name: 'chat', files: notAClass })).rejects.toThrow(
      '/app/c/chat.js must export a controller class as default',
    );
  });
});
