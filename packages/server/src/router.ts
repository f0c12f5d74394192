import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ErrorCode, type ErrorIssue, isName, RoomcastError, type StandardSchemaV1 } from '@roomcast/protocol';
import type { ControllerClass, RouteDefinition, RouteHandler } from './routes';

export interface CompiledRoute {
  type: string;
  action: string;
  source: string;
  handler: RouteHandler;
  validate: ((data: unknown) => Promise<unknown>) | undefined;
}

const CONTROLLER_FILES = ['.controller.js', '.controller.mjs', '.controller.ts', '.js', '.mjs', '.ts'];

/** `type` + `action` -> handler, built once at start-up from the guide's route forms. */
export class Router {
  readonly #routes = new Map<string, CompiledRoute>();
  readonly #controllers = new Map<ControllerClass, object>();

  get(type: string, action: string): CompiledRoute | undefined {
    return this.#routes.get(key(type, action));
  }

  list(): CompiledRoute[] {
    return [...this.#routes.values()];
  }

  /** Registers a handler; a second route for the same type and action is a mistake, not an override. */
  add(route: Omit<CompiledRoute, 'validate'> & { schema?: StandardSchemaV1 | undefined }): void {
    if (!isName(route.type) || !isName(route.action)) {
      throw new TypeError(
        `Route ${route.type}.${route.action}: type and action must be 1-64 of [A-Za-z0-9_.:-]`,
      );
    }
    const id = key(route.type, route.action);
    if (this.#routes.has(id)) throw new TypeError(`Route ${route.type}.${route.action} is defined twice`);
    this.#routes.set(id, {
      type: route.type,
      action: route.action,
      source: route.source,
      handler: route.handler,
      validate: route.schema ? validator(route.schema) : undefined,
    });
  }

  /** Resolves every route definition to a handler: function, controller class or controller file. */
  async load(definitions: readonly RouteDefinition[], context: LoadContext): Promise<void> {
    for (const definition of definitions) {
      const { handler, source } = await this.#resolve(definition, context);
      this.add({
        type: definition.type,
        action: definition.action,
        source,
        handler,
        schema: definition.schema,
      });
    }
  }

  async #resolve(
    definition: RouteDefinition,
    context: LoadContext,
  ): Promise<{ handler: RouteHandler; source: string }> {
    const name = `${definition.type}.${definition.action}`;
    if (definition.handler) return { handler: definition.handler, source: 'handler' };
    const Controller =
      definition.controller ??
      (definition.controllerName ? await importController(definition, context) : undefined);
    if (!Controller) throw new TypeError(`Route ${name} needs a handler, a controller or a controllerName`);
    let instance = this.#controllers.get(Controller);
    if (!instance) {
      instance = new Controller({ webSocketServer: context.webSocketServer as never });
      this.#controllers.set(Controller, instance);
    }
    const method = (instance as Record<string, unknown>)[definition.action];
    if (typeof method !== 'function') {
      throw new TypeError(
        `Route ${name}: controller ${Controller.name} has no method "${definition.action}"`,
      );
    }
    return { handler: method.bind(instance) as RouteHandler, source: Controller.name || 'controller' };
  }
}

export interface LoadContext {
  controllersDirectory: string | undefined;
  webSocketServer: unknown;
}

async function importController(definition: RouteDefinition, context: LoadContext): Promise<ControllerClass> {
  const name = `${definition.type}.${definition.action}`;
  if (!context.controllersDirectory) {
    throw new TypeError(
      `Route ${name} uses controllerName "${definition.controllerName}" but no controllersDirectory is set`,
    );
  }
  const base = path.resolve(context.controllersDirectory, definition.controllerName ?? '');
  const file = CONTROLLER_FILES.map(ext => base + ext).find(candidate => existsSync(candidate));
  if (!file) {
    throw new TypeError(
      `Route ${name}: no ${definition.controllerName}.controller.{js,ts} in ${context.controllersDirectory}`,
    );
  }
  const module = (await import(pathToFileURL(file).href)) as { default?: unknown };
  if (typeof module.default !== 'function')
    throw new TypeError(`${file} must export a controller class as default`);
  return module.default as ControllerClass;
}

function validator(schema: StandardSchemaV1): (data: unknown) => Promise<unknown> {
  return async function validateRouteData(data) {
    const result = await schema['~standard'].validate(data);
    if (!result.issues) return result.value;
    const issues: ErrorIssue[] = result.issues.map(issue => ({
      message: issue.message,
      path: (issue.path ?? []).map(segment => {
        const step = typeof segment === 'object' ? segment.key : segment;
        return typeof step === 'number' ? step : String(step);
      }),
    }));
    const where = issues.map(issue => issue.path?.join('.') || '(root)').join(', ');
    throw new RoomcastError(ErrorCode.INVALID_MESSAGE, `Invalid data at ${where}`, { issues });
  };
}

function key(type: string, action: string): string {
  // Newline cannot appear in a valid name, so the key is unambiguous.
  return `${type}\n${action}`;
}
