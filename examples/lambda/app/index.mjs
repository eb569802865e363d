// The function being released: a tiny HTTP-style handler (API Gateway proxy shape). The hooks call
// it with a health request; everything else gets the greeting.
export async function handler(event) {
  // biome-ignore lint/suspicious/noUndeclaredEnvVars: set by the Lambda runtime, not a build input
  const version = process.env.AWS_LAMBDA_FUNCTION_VERSION ?? '$LATEST';
  if (event?.path === '/health') {
    return { statusCode: 200, body: JSON.stringify({ status: 'ok', version }) };
  }
  return { statusCode: 200, body: JSON.stringify({ message: 'hello from orders', version }) };
}
