/**
 * helmet with a CSP that allows this site only: no CDNs, no external fonts, no inline scripts or styles. Images may
 * also come from `imageOrigins` (TMDB's image host, only when a TMDB key is configured).
 */
import helmet from 'helmet';

export function securityHeaders(production: boolean, imageOrigins: readonly string[] = []) {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:', ...imageOrigins],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        // Locally the app runs on plain http; upgrading there would break every request.
        ...(production ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    strictTransportSecurity: production,
  });
}
