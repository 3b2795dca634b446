// Parley's API reference page (/docs): shows the contract the server serves in Swagger UI.
// The page's own origin is listed first among the servers, so "Try it out" calls the server
// that serves this page (same origin, no CORS) with the key entered under "Authorize".
(function () {
  "use strict";
  var root = document.getElementById("swagger-ui");
  var here = window.location.origin + (root.dataset.basePath || "");

  function show(spec) {
    var others = (spec.servers || []).filter(function (server) {
      return server.url.replace(/\/+$/, "") !== here;
    });
    spec.servers = [{ url: here, description: "This server (the one serving this page)" }]
      .concat(others);
    window.ui = SwaggerUIBundle({
      spec: spec,
      domNode: root,
      deepLinking: true,
      displayOperationId: true,
      displayRequestDuration: true,
      docExpansion: "list",
      defaultModelsExpandDepth: 0,
      filter: true,
      persistAuthorization: false,
      validatorUrl: null,
    });
  }

  fetch(root.dataset.specUrl, { headers: { Accept: "application/json" } })
    .then(function (response) {
      if (!response.ok) {
        throw new Error(root.dataset.specUrl + " answered " + response.status);
      }
      return response.json();
    })
    .then(show)
    .catch(function (error) {
      root.textContent = "Could not load the contract: " + error.message;
      console.error("Parley API reference:", error);
    });
})();
