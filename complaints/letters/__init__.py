"""Letters to complainants: what a letter says (its context, read from the case), and rendering
it from the Jinja2 templates in `letter_templates/` to HTML and PDF."""
