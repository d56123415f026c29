/**
 * Who opens the 大屏: the leader, the bureau and the kiosk account (role `screen`, created by
 * the admin; it reads the 大屏's figures and nothing else). The 待办 counts are district-wide.
 */
export const SCREEN_VIEWERS = Object.freeze(['leader', 'bureau', 'screen'])
