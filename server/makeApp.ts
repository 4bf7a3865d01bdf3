// Assembles the express app: security headers, host check, token, rate limit, same-origin
// proof for state changes, request deadline, body limits (size, JSON depth), run health,
// one route per file, the static web app, and the one error middleware.
import express, { type NextFunction, type Request, type Response } from 'express';
import { NotFoundError } from '../data/index.js';
import { authMiddleware } from './authMiddleware.js';
import { errorMiddleware } from './errorMiddleware.js';
import { BadRequestError } from './errors.js';
import { checkJsonDepth } from './jsonDepth.js';
import { rateLimit } from './rateLimit.js';
import { requestDeadline } from './requestDeadline.js';
import { runHealthGate } from './runHealth.js';
import { sameOrigin } from './sameOrigin.js';
import { isLoopback } from './serverConfig.js';
import type { Workbench } from './workbench.js';
import { appendStepsRoute } from './routes/appendSteps.js';
import { behaviourRoute } from './routes/behaviour.js';
import { checkpointsRoute } from './routes/checkpoints.js';
import { codesRoute } from './routes/codes.js';
import { compareRoute } from './routes/compare.js';
import { createRunRoute } from './routes/createRun.js';
import { eventsRoute } from './routes/events.js';
import { experimentsRoute } from './routes/experiments.js';
import { finishRunRoute } from './routes/finishRun.js';
import { healthRoute } from './routes/health.js';
import { heatmapRoute } from './routes/heatmap.js';
import { latentRoute } from './routes/latent.js';
import { latentPageRoute } from './routes/latentPage.js';
import { networkRoute } from './routes/network.js';
import { reportsRoute } from './routes/reports.js';
import { runDetailRoute } from './routes/runDetail.js';
import { runsListRoute } from './routes/runsList.js';
import { staticAppRoute } from './routes/staticApp.js';

const ROUTES = [
  healthRoute,
  runsListRoute,
  createRunRoute,
  runDetailRoute,
  behaviourRoute,
  codesRoute,
  heatmapRoute,
  latentRoute,
  latentPageRoute,
  networkRoute,
  reportsRoute,
  checkpointsRoute,
  compareRoute,
  experimentsRoute,
  appendStepsRoute,
  finishRunRoute,
  eventsRoute,
];

export function makeApp(wb: Workbench): express.Express {
  const app = express();
  const cfg = wb.config;
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.use((_req: Request, res: Response, next: NextFunction) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader(
      'Content-Security-Policy',
      "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; connect-src 'self'; object-src 'none'; frame-ancestors 'none'",
    );
    next();
  });
  // On a loopback bind, only loopback Host names: a web page on another site cannot
  // reach this server through DNS rebinding.
  if (isLoopback(cfg.host)) {
    app.use((req: Request, _res: Response, next: NextFunction) => {
      const host = (req.headers.host ?? '').replace(/:\d+$/, '');
      if (!isLoopback(host)) throw new BadRequestError(`requests must address this server as 127.0.0.1 or localhost, not '${host.slice(0, 60)}'`);
      next();
    });
  }
  app.use(authMiddleware(cfg.token));
  app.use(rateLimit(cfg.rateLimit));
  app.use(sameOrigin());
  app.use(requestDeadline(cfg.requestTimeoutMs));
  app.use('/api', express.json({ limit: cfg.jsonLimit, verify: checkJsonDepth }));
  app.use('/api/runs/:id', runHealthGate(wb));
  const router = express.Router();
  for (const r of ROUTES) r(router, wb);
  app.use(router);
  app.use('/api', (req: Request) => {
    throw new NotFoundError(`no API route ${req.method} ${req.path}`);
  });
  const web = express.Router();
  staticAppRoute(web, wb);
  app.use(web);
  app.use((req: Request) => {
    throw new NotFoundError(`nothing at ${req.path.slice(0, 100)}`);
  });
  app.use(errorMiddleware(cfg.log, cfg.workspace));
  return app;
}
