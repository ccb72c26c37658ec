/// <reference types="@remix-run/node" />

// The Remix classic compiler turns a CSS import into the URL of the emitted file,
// and a CSS module into its class-name map.
declare module "*.module.css" {
  const classes: Record<string, string>;
  export default classes;
}
declare module "*.css" {
  const href: string;
  export default href;
}
