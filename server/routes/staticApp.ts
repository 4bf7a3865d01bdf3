// The built web app (web/dist). The app routes with the URL hash, so no fallback page is
// needed: anything not in the build is a 404. Without a build, a page that says how to make one.
import express, { type Router } from 'express';
import type { Workbench } from '../workbench.js';

export function staticAppRoute(router: Router, wb: Workbench): void {
  const root = wb.config.webRoot;
  if (!root) {
    router.get('/', (_req, res) => {
      res
        .type('html')
        .send('<!doctype html><title>thoughtlens</title><p>The web app is not built. Run <code>npm run build:web</code> in the thoughtlens folder, then reload. The JSON API is under <code>/api/</code>.</p>');
    });
    return;
  }
  router.use(express.static(root, { dotfiles: 'deny', index: 'index.html', fallthrough: true, maxAge: 0, redirect: false }));
}
