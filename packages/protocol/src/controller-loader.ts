/**
 * The host's file system, as the controller loader needs it. Protocol imports nothing of Node (it
 * runs in browsers too), so a Node entry passes Node's:
 * `{ resolve: path.resolve, exists: fs.existsSync, importFile: f => import(pathToFileURL(f).href) }`.
 */
export interface ModuleFiles {
  /** The absolute path of `name` in `directory` (relative directories from the working directory). */
  resolve(directory: string, name: string): string;
  exists(file: string): boolean;
  /** Imports a module file (ESM or CommonJS) and resolves with its namespace. */
  importFile(file: string): Promise<unknown>;
}

/** Tried in this order: `<name>.controller.js` first, a bare `<name>.ts` last. */
export const CONTROLLER_FILE_ENDINGS = Object.freeze([
  '.controller.js',
  '.controller.mjs',
  '.controller.ts',
  '.js',
  '.mjs',
  '.ts',
] as const);

export interface LoadControllerOptions {
  /** `controllersDirectory`; undefined is a configuration mistake, reported as such. */
  directory: string | undefined;
  /** `controllerName` of the route. */
  name: string;
  files: ModuleFiles;
  /** Who asked, for error messages: `'Route chat.send'`. Default: `controllerName "<name>"`. */
  requester?: string;
}

/**
 * The one controller loader of the server's routes and the Node client's routes (the guide's
 * `controllerName` + `controllersDirectory`): finds `<directory>/<name>.controller.{js,mjs,ts}`
 * (or `<name>.{js,mjs,ts}`) and resolves with its default export, a class. Misconfiguration
 * rejects with a TypeError that says what to fix.
 *
 * @example
 * const Controller = await loadController<ControllerClass>({ directory, name: 'chat', files: nodeFiles });
 */
export async function loadController<TClass>(options: LoadControllerOptions): Promise<TClass> {
  const { directory, name, files } = options;
  const requester = options.requester ?? `controllerName "${name}"`;
  if (directory === undefined) {
    throw new TypeError(`${requester} uses controllerName "${name}" but no controllersDirectory is set`);
  }
  const base = files.resolve(directory, name);
  const file = CONTROLLER_FILE_ENDINGS.map(ending => base + ending).find(candidate =>
    files.exists(candidate),
  );
  if (file === undefined) {
    throw new TypeError(
      `${requester}: no ${name}.controller.{js,mjs,ts} or ${name}.{js,mjs,ts} in ${directory}`,
    );
  }
  const module = (await files.importFile(file)) as { default?: unknown } | undefined;
  if (typeof module?.default !== 'function') {
    throw new TypeError(`${file} must export a controller class as default`);
  }
  return module.default as TClass;
}
