// Types of bin/prebuilt.js (plain JavaScript so the CLI's entry point runs without a compiler).
export declare const ROOT: string;
export declare const SOURCE_DIRS: readonly string[];
export declare const OUT_DIR: string;
export declare const STAMP: string;
export declare function sourceEntries(root?: string): string[];
export declare const HELP_SOURCES: string;
export declare function isHelpOnly(argv: readonly string[]): boolean;
export declare function prebuiltEntry(root?: string, options?: { helpOnly?: boolean }): string | undefined;
