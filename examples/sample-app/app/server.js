// The sample application: answers /health so ValidateService can gate the deployment on it.
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';

const server = createServer((request, response) => {
  const healthy = request.url === '/health';
  response.writeHead(healthy ? 200 : 404, { 'content-type': 'application/json' });
  response.end(JSON.stringify({ ok: healthy, version: process.env.APP_VERSION ?? 'dev' }));
});
server.listen(Number(process.env.PORT ?? 8080), '127.0.0.1', () => {
  // The port file tells ValidateService where to look (PORT=0 picks a free port).
  writeFileSync(join(import.meta.dirname, 'port'), String(server.address().port));
});
