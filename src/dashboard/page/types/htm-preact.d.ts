// The few exports of htm/preact/standalone.module.js the page uses (the package ships no types for
// its standalone build). Served at /vendor/htm-preact.js; index.html maps `htm-preact` to it.
export type VNode = { readonly type: unknown; readonly props: unknown };
export type Child = VNode | string | number | boolean | null | undefined | Child[];
export function html(strings: TemplateStringsArray, ...values: unknown[]): VNode;
export function render(tree: VNode, parent: Element): void;
export type StateUpdater<T> = (value: T | ((previous: T) => T)) => void;
export function useState<T>(initial: T | (() => T)): [T, StateUpdater<T>];
export function useEffect(effect: () => void | (() => void), inputs?: readonly unknown[]): void;
export function useRef<T>(initial: T): { current: T };
export function useMemo<T>(factory: () => T, inputs: readonly unknown[]): T;
export function useCallback<T extends (...args: never[]) => unknown>(callback: T, inputs: readonly unknown[]): T;
