// Marks the page as having JavaScript, as GOV.UK Frontend expects, without an inline script
// (the Content-Security-Policy allows scripts from this site only).
document.body.className += " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
