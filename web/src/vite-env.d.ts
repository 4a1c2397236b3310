// What Vite adds to TypeScript's view of the modules: CSS imported for its side effect.
declare module '*.css';
