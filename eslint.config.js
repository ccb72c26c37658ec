// `npm run lint`: typescript-eslint's recommended rules and React's hooks rules over the app, the
// server, the widget, the tests, the benches and the scripts; Prettier owns formatting.
import tseslint from "typescript-eslint";
import reactHooks from "eslint-plugin-react-hooks";

export default tseslint.config(
  {
    ignores: ["build/", "public/build/", "app/db/generated/", "extensions/**/assets/", "node_modules/", ".tools/", "**/*.js", "**/*.mjs", "**/*.cjs"],
  },
  ...tseslint.configs.recommended,
  {
    files: ["**/*.{ts,tsx}"],
    plugins: { "react-hooks": reactHooks },
    rules: {
      "react-hooks/rules-of-hooks": "error",
      "react-hooks/exhaustive-deps": "error",
      // Unused names are mistakes, except a deliberately ignored argument or rest sibling (`_x`).
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", ignoreRestSiblings: true }],
    },
  },
  {
    // Tests and benches read loose JSON bodies and reach into the page's globals in the browser.
    files: ["test/**/*.ts", "bench/**/*.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
);
