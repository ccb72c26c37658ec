// The shop demo mode pretends to be installed on.
export const DEMO_SHOP = "convot-demo.myshopify.com";
