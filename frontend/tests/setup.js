// jsdom does not implement scrolling; the router's scrollBehavior calls it.
window.scrollTo = () => {}

// async-validator (Element Plus form rules) logs every failed rule outside production.
globalThis.ASYNC_VALIDATOR_NO_WARNING = true
