// Draws the workflow diagrams from their Mermaid text (the vendored mermaid script, no CDN).
/* global mermaid */
mermaid.initialize({ startOnLoad: true, securityLevel: 'strict', theme: 'neutral' })
