// The built web app (web/dist) and its single-page fallback. Without a build, a page that
// says how to make one.
import express, { type Router } from 'express';
import { join } from 'node:path';
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
  router.use(express.static(root, { dotfiles: 'deny', index: 'index.html', fallthrough: true, maxAge: 0 }));
  router.use((req, res, next) => {
    if (req.method !== 'GET' || req.path.startsWith('/api/')) return next();
    res.sendFile(join(root, 'index.html'));
  });
}
