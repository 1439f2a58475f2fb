// Types of bin/bundle-task.js (plain JavaScript so infra runs it with plain node, as CDK ran esbuild).
import type { BuildResult, Metafile, Plugin } from 'esbuild';
export declare const REQUIRE_BANNER: string;
export declare function literalSchemaKeys(source: string): { contents: string; rewritten: number };
export declare const sdkSchemaKeysPlugin: Plugin;
export declare const CHUNK_DIR: string;
export declare function bundleTask(options: { entry: string; outfile: string; target?: string; tsconfig?: string; metafile?: boolean }): Promise<BuildResult>;
export declare const LAMBDA_CREDENTIALS: string;
export declare const lambdaCredentialsPlugin: Plugin;
export declare function pureDeclarations(source: string, fileName: string): { contents: string; wrapped: number };
export declare const pureSchemasPlugin: Plugin;
export declare const builtinRequirePlugin: Plugin;
export declare function staticallyLoaded(metafile: Metafile): Set<string>;
