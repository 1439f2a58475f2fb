// Types of bin/build-cli.js.
export declare function buildCli(outDir?: string): Promise<number>;
export declare function staticSources(outDir: string, entry: string): string[];
