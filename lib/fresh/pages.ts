// Renders the three kinds of page a request can end in: the route's page, _404 and _500 (the
// latter also for other HttpError statuses), each inside _app and the right layouts.
import { h } from "preact";
import type { BaseContext } from "./middleware.ts";
import { renderDocument } from "./render.ts";
import type { AssetPlanner, DocumentParts } from "./render.ts";
import { htmlResponse } from "./responses.ts";
import type { CompiledRoute, RouteTable } from "./route_table.ts";
import type { ErrorPageProps, PageProps, RenderOptions } from "./types.ts";

export interface PageRenderer {
  route(route: CompiledRoute, ctx: BaseContext, data: unknown, options?: RenderOptions): Response;
  notFound(ctx: BaseContext, data: unknown): Response;
  error(ctx: BaseContext, error: unknown, status: number): Response;
}

// Used when the app has no _404.tsx / _500.tsx.
function BuiltinNotFound() {
  return h("main", null, h("h1", null, "Page not found"));
}
function BuiltinError({ status }: ErrorPageProps<unknown>) {
  return h("main", null, h("h1", null, `Error ${status}`));
}

function pageProps(ctx: BaseContext, data: unknown): PageProps<unknown, unknown> {
  return { url: ctx.url, params: ctx.params, data, state: ctx.state, route: ctx.route };
}

export function createPageRenderer(table: RouteTable, planAssets: AssetPlanner): PageRenderer {
  const render = (parts: DocumentParts, status: number, headers?: HeadersInit) =>
    htmlResponse(renderDocument(parts, planAssets), status, headers);
  return {
    route(route, ctx, data, options) {
      const Page = route.component;
      if (!Page) throw new Error(`${route.file} has no page component to render`);
      const props = pageProps(ctx, data);
      const page = () => h(Page, props);
      const parts = { app: table.app, layouts: route.layouts, page, props };
      return render(parts, options?.status ?? 200, options?.headers);
    },
    notFound(ctx, data) {
      const props = pageProps(ctx, data);
      const Page = table.notFound ?? BuiltinNotFound;
      const page = () => h(Page, props);
      return render({ app: table.app, layouts: table.rootLayouts, page, props }, 404);
    },
    error(ctx, error, status) {
      const props = pageProps(ctx, undefined);
      const errorProps: ErrorPageProps<unknown> = { ...props, data: undefined, error, status };
      const Page = table.error ?? BuiltinError;
      const page = () => h(Page, errorProps);
      return render({ app: table.app, layouts: table.rootLayouts, page, props }, status);
    },
  };
}
