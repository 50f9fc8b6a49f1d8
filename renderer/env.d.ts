// Vite's `?url` imports: the bundler copies the file into the build and gives its URL.
declare module '*?url' {
  const url: string;
  export default url;
}
declare module '*.css';
