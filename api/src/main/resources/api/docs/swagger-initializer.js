// Swagger UI on this server's OpenAPI document. A file rather than the WebJar's own initializer (which points at
// the Petstore) or an inline script (the pages' CSP runs only this server's files).
window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({
    url: '/api/v1/openapi.json',
    dom_id: '#swagger-ui',
    deepLinking: true,
    // the default sends the document to validator.swagger.io: nothing leaves this server
    validatorUrl: null,
    // the token given to "Authorize" (for Try it out on POST and PATCH) stays in this page, not in local storage
    persistAuthorization: false,
    presets: [SwaggerUIBundle.presets.apis],
    layout: 'BaseLayout'
  });
});
