// The sample application: answers /health so ValidateService can gate the deployment on it.
import { createServer } from 'node:http';

const port = Number(process.env.PORT ?? 8080);
createServer((request, response) => {
  const healthy = request.url === '/health';
  response.writeHead(healthy ? 200 : 404, { 'content-type': 'application/json' });
  response.end(JSON.stringify({ ok: healthy, version: process.env.APP_VERSION ?? 'dev' }));
}).listen(port, '127.0.0.1');
