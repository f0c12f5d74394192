import type { ClientFrame, DecodeError } from '@roomcast/protocol';
import type { Connection } from '../../connection/connection';
import type { Address } from '../replies';
import type { MiddlewareContext, RouteInfo } from './compose';

/**
 * What the pipeline's own steps see of a message: the route middleware's context, plus the
 * sender's record, the decoded frame (or why it could not be decoded) and where an error goes.
 * Route middleware is typed over `MiddlewareContext` only, and runs after decoding.
 */
export interface PipelineContext extends MiddlewareContext {
  readonly connection: Connection;
  /** Undefined when the frame could not be decoded (`malformed` says why). */
  readonly frame: ClientFrame | undefined;
  readonly malformed: DecodeError | undefined;
  /** Where an error frame goes: the frame's type, action and id, or what of them could be read. */
  readonly address: Address;
  /** Set once the router found the route. */
  route: RouteInfo;
  /** No reply at all, not even to a request: the sender is being closed for abuse. */
  silent: boolean;
}

/** `route` before the router has run (only the pipeline's first steps see it). */
export const UNROUTED: RouteInfo = Object.freeze({ type: '', action: '', source: '' });
