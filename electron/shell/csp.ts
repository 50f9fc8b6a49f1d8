// The Content-Security-Policy and companion headers for everything the app protocol serves.
// The page gets its policy from a response header (not a <meta>), so it covers the very first
// byte of index.html and cannot be weakened by markup the page itself produces.

/** Headers every app-protocol response carries, files and forwarded API answers alike. */
export function securityHeaders(): Record<string, string> {
  const headers: Record<string, string> = {
    'X-Content-Type-Options': 'nosniff',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Referrer-Policy': 'no-referrer',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), usb=(), serial=(), hid=(), bluetooth=(), payment=()',
  };
  // One literal, so Electronegativity's CSP evaluator reads the real policy. Scripts, workers
  // and styles come only from /assets/ (the Vite build), not from all of 'self': the same
  // origin also serves uploaded papers under /api/blobs/, which must never run as code.
  // pdf.js compiles image decoders to WebAssembly, hence wasm-unsafe-eval (not unsafe-eval).
  // React and pdf.js set styles through the CSSOM, which style-src does not govern, so no
  // inline <style> is needed. connect-src is only 'self': the API is forwarded by the shell and
  // sync goes over a MessagePort, so there is no ws: or http: source at all.
  headers['Content-Security-Policy'] = "default-src 'none'; script-src chamber://app/assets/ 'wasm-unsafe-eval'; worker-src chamber://app/assets/; style-src chamber://app/assets/; img-src 'self' blob: data:; font-src 'self' data:; connect-src 'self'; media-src 'none'; object-src 'none'; frame-src 'none'; child-src 'none'; frame-ancestors 'none'; form-action 'none'; base-uri 'none'; manifest-src 'none'";
  return headers;
}

export const CONTENT_SECURITY_POLICY: string = securityHeaders()['Content-Security-Policy']!;

/** The policy as directive name to source list, for checks and tests. */
export function parseCsp(policy: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const part of policy.split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) out.set(name.toLowerCase(), values);
  }
  return out;
}
