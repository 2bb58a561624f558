"""Views parse input, ask the rules, call one service and render. Every form works without
JavaScript; live updates are an addition (static/forums/live.js)."""
