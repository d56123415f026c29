/** Ask before deleting: true once the user confirms (删除), false if they cancel or close. */
export async function confirmDelete(message, title) {
  try {
    await ElMessageBox.confirm(message, title, { type: 'warning', confirmButtonText: '删除', cancelButtonText: '取消' })
    return true
  } catch {
    return false
  }
}
