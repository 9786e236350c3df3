// Creatio's @creatio-devkit/common from npm, run under Node, with this file playing the Creatio host around it.
// The devkit is built for Creatio's browser bundle: it reads `window` and imports lodash by named exports, so both are
// provided here; its own code (HandlerChainService, BaseRequestHandler, HttpClientService) runs unchanged.
import { register } from "node:module";

register("./lodash-es-resolver.mjs", import.meta.url);
globalThis.window ??= globalThis;
export const sdk = await import("@creatio-devkit/common");

/** A request handler in the devkit's chain, calling `handle(request, next)`. */
class FunctionHandler extends sdk.BaseRequestHandler {
  constructor(handle) {
    super();
    this._handle = handle;
  }

  handle(request) {
    return this._handle(request, this.next);
  }
}

/**
 * What Creatio does around a page: registers the page schema's handlers in the handler chain, answers the requests the
 * platform itself serves (HTTP through crt.HttpClientService, toasts, dialogs, data loads) and records them.
 */
export class CreatioHost {
  constructor() {
    this.requests = [];
    this._unregister = [];
  }

  /** The platform's own handler for a request type: records the request and answers with `answer(request)`. */
  serve(requestType, answer = () => undefined) {
    this._unregister.push(sdk.HandlerChainService.instance.register({
      requestType,
      type: `host.${requestType}`,
      source: { type: sdk.HandlerSourceType.Host },
      createHandler: () => new FunctionHandler(async (request) => {
        this.requests.push(request);
        return answer(request);
      }),
    }));
  }

  /** Registers a page schema's `handlers` as Creatio does when the page opens. */
  openPage(name, schema) {
    for (const { request, handler } of schema.handlers) {
      this._unregister.push(sdk.HandlerChainService.instance.register({
        requestType: request,
        type: `${name}.${request}`,
        source: { type: sdk.HandlerSourceType.Schema, schemaName: name, packageName: "Interweave" },
        createHandler: () => new FunctionHandler(handler),
      }));
    }
  }

  /** Raises a request as a button's `clicked: { request }` does. */
  raise(request) {
    return sdk.HandlerChainService.instance.process(request);
  }

  of(type) {
    return this.requests.filter((r) => r.type === type);
  }

  close() {
    this._unregister.forEach((unregister) => unregister());
    this._unregister = [];
  }
}
