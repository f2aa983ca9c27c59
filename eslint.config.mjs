// ESLint (flat config): typescript-eslint with type information, React hooks, Next's core-web-vitals rules.
// `npm run lint` runs it with --max-warnings 0 and a cache (node_modules/.cache/eslint); the import table of DESIGN.md is
// checked by dependency-cruiser (.dependency-cruiser.cjs), not here.
import js from "@eslint/js";
import nextPlugin from "@next/eslint-plugin-next";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import { defineConfig } from "eslint/config";
import tseslint from "typescript-eslint";

export default defineConfig(
  {
    ignores: [
      "node_modules/**",
      ".next/**",
      "dist/**",
      "data/**",
      "test-results/**",
      "playwright-report/**",
      "bench/results/**",
      "lib/db/generated/**",
      "next-env.d.ts",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        // One TypeScript program per tsconfig, built on demand: the fastest type-aware setup (no per-file projects).
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      // Off: async methods here implement Promise-returning interfaces (MemoryStore, model providers, route handlers,
      // test doubles) without awaiting; dropping `async` to please the rule would turn their throws into sync throws.
      "@typescript-eslint/require-await": "off",
      // Unused names are findings, but a leading underscore marks one kept on purpose (a callback's position, a rest sibling).
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrorsIgnorePattern: "^_", ignoreRestSiblings: true },
      ],
    },
  },
  {
    // Plain JavaScript (scripts, bin, configs): no TypeScript types to check against.
    files: ["**/*.mjs", "**/*.cjs", "**/*.js"],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: globals.node },
  },
  {
    // Tests, e2e, benches and their fixtures read JSON bodies (`await res.json()` is `any` by design) and poke at
    // internals; the assertion right after is the check, so the no-unsafe-* family only asks for casts there.
    files: ["**/*.test.ts", "**/*.test.tsx", "e2e/**", "test/**", "bench/**", "**/fixtures/**", "**/testing/**"],
    rules: {
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-call": "off",
      "@typescript-eslint/no-unsafe-return": "off",
      "@typescript-eslint/no-unsafe-argument": "off",
      "@typescript-eslint/no-explicit-any": "off",
    },
  },
  {
    files: ["**/*.tsx", "lib/editor/**", "lib/realtime/**", "lib/api/**", "components/**", "app/**"],
    extends: [reactHooks.configs.flat.recommended],
    rules: {
      // Off: two React Compiler diagnostics of the recommended set. The app does not use the React Compiler, and what
      // they flag is deliberate here: the "latest value" ref (`ref.current = props.x` during render, so effects read
      // the newest callback without resubscribing) and resetting local state from a changed prop inside an effect.
      "react-hooks/refs": "off",
      "react-hooks/set-state-in-effect": "off",
      // Off for the same reason: it reports where the React Compiler would skip a component, which only matters with
      // the compiler (a useMemo keyed on one field of a store object is flagged though it memoises exactly as meant).
      "react-hooks/preserve-manual-memoization": "off",
    },
  },
  {
    files: ["app/**", "components/**"],
    plugins: { "@next/next": nextPlugin },
    rules: { ...nextPlugin.configs.recommended.rules, ...nextPlugin.configs["core-web-vitals"].rules },
  },
);
