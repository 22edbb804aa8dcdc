"""UI strings, one module per part of the site, merged by `airegister.web.i18n`."""
