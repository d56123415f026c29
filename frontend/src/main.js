import { createApp } from 'vue'
import { createPinia } from 'pinia'
import App from './App.vue'
import { setupAuth } from './auth/setup.js'
import { createAppRouter } from './router/index.js'
import './styles/main.css'

const app = createApp(App)
const pinia = createPinia()
app.use(pinia)

const router = createAppRouter()
setupAuth({ router, pinia }) // before app.use(router): the first navigation is guarded
app.use(router)

app.mount('#app')
