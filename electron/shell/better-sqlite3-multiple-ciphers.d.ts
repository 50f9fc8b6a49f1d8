// The package ships no types; its API is better-sqlite3's, which is the point of using it.
declare module 'better-sqlite3-multiple-ciphers' {
  import type BetterSqlite3 from 'better-sqlite3';
  const Database: typeof BetterSqlite3;
  export default Database;
}
