// Creatio's browser bundle resolves `lodash` to its ES-module build; so does this resolve hook, for the devkit under Node.
export async function resolve(specifier, context, next) {
  return next(specifier === "lodash" ? "lodash-es" : specifier, context);
}
