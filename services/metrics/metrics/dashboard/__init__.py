"""The leadership cockpit's (驾驶舱) first screen in one call."""
