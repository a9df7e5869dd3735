import type { Plugin } from 'esbuild';

export declare const englishOnlyZodLocales: Plugin;
export declare const undiciFetchAndProxyOnly: Plugin;
export declare const bundlePlugins: Plugin[];
