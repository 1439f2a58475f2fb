// Types of bin/build-cli.js.
export declare function buildCli(outDir?: string): Promise<number>;
