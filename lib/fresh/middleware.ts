// Runs a chain of middleware around a final step. Each layer gets its own `next`, so calling it
// twice is caught even after later layers have run.
import type { FreshContext } from "./types.ts";
import type { Middleware } from "./route_table.ts";

export type BaseContext = Omit<FreshContext<unknown, unknown>, "next">;

export class MiddlewareError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MiddlewareError";
  }
}

export function runMiddlewares(
  chain: readonly Middleware[],
  req: Request,
  base: BaseContext,
  last: () => Promise<Response>,
): Promise<Response> {
  const step = async (index: number): Promise<Response> => {
    if (index === chain.length) return await last();
    const { name, handler } = chain[index];
    let called = false;
    const next = (): Promise<Response> => {
      if (called) throw new MiddlewareError(`${name} called ctx.next() more than once`);
      called = true;
      return step(index + 1);
    };
    const response = await handler(req, { ...base, next });
    if (!(response instanceof Response)) {
      throw new MiddlewareError(`${name} must return a Response (got ${typeof response})`);
    }
    return response;
  };
  return step(0);
}
