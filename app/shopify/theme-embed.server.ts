// The theme app extension's side of the admin: the app-owned metafields its Liquid reads, and
// whether the merchant has switched the app embed on in the main theme.
import { env } from "../env.server";

export const EMBED_HANDLE = "convot-embed";

type Graphql = (query: string, options?: { variables?: Record<string, unknown> }) => Promise<Response>;

async function data<T>(response: Response): Promise<T> {
  const body = (await response.json()) as { data?: T; errors?: unknown };
  if (!body.data) throw new Error(`Admin API error: ${JSON.stringify(body.errors ?? body).slice(0, 300)}`);
  return body.data;
}

/** Writes app.metafields.convot.app_key / app_origin, which the embed block reads. */
export async function publishEmbedConfig(graphql: Graphql, storefrontAppKey: string): Promise<void> {
  const { currentAppInstallation } = await data<{ currentAppInstallation: { id: string } }>(
    await graphql(`
      #graphql
      query ConvotInstallation {
        currentAppInstallation {
          id
        }
      }
    `),
  );
  const ownerId = currentAppInstallation.id;
  const result = await data<{ metafieldsSet: { userErrors: { field: string[]; message: string }[] } }>(
    await graphql(
      `
        #graphql
        mutation ConvotEmbedConfig($metafields: [MetafieldsSetInput!]!) {
          metafieldsSet(metafields: $metafields) {
            metafields {
              key
            }
            userErrors {
              field
              message
            }
          }
        }
      `,
      {
        variables: {
          metafields: [
            { ownerId, namespace: "convot", key: "app_key", type: "single_line_text_field", value: storefrontAppKey },
            { ownerId, namespace: "convot", key: "app_origin", type: "single_line_text_field", value: new URL(env.SHOPIFY_APP_URL).origin },
          ],
        },
      },
    ),
  );
  if (result.metafieldsSet.userErrors.length) throw new Error(`metafieldsSet: ${JSON.stringify(result.metafieldsSet.userErrors)}`);
}

export type EmbedStatus = { themeName: string | null; enabled: boolean; settings: Record<string, unknown> | null };

/** Strips the comment block Shopify puts at the top of settings_data.json. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a theme's settings_data.json, any shape a theme editor wrote
export function parseSettingsData(content: string): Record<string, any> {
  return JSON.parse(content.replace(/^\s*\/\*[\s\S]*?\*\/\s*/, ""));
}

/** Whether our app embed is on in the main theme (config/settings_data.json, current.blocks). */
export async function readEmbedStatus(graphql: Graphql): Promise<EmbedStatus> {
  const result = await data<{ themes: { nodes: { name: string; files: { nodes: { body: { content?: string } }[] } }[] } }>(
    await graphql(`
      #graphql
      query ConvotEmbedStatus {
        themes(first: 1, roles: [MAIN]) {
          nodes {
            name
            files(filenames: ["config/settings_data.json"]) {
              nodes {
                body {
                  ... on OnlineStoreThemeFileBodyText {
                    content
                  }
                }
              }
            }
          }
        }
      }
    `),
  );
  const theme = result.themes.nodes[0];
  const content = theme?.files.nodes[0]?.body.content;
  if (!theme || !content) return { themeName: theme?.name ?? null, enabled: false, settings: null };
  const blocks: Record<string, { type?: string; disabled?: boolean; settings?: Record<string, unknown> }> =
    parseSettingsData(content).current?.blocks ?? {};
  const ours = Object.values(blocks).find((block) => block.type?.includes(`/blocks/${EMBED_HANDLE}/`));
  return { themeName: theme.name, enabled: Boolean(ours && !ours.disabled), settings: ours?.settings ?? null };
}

export function themeEditorUrl(shop: string): string {
  return `https://${shop}/admin/themes/current/editor?context=apps&activateAppId=${env.SHOPIFY_API_KEY}/${EMBED_HANDLE}`;
}
