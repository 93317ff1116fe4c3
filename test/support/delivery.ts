/** Customer fields that let a dispatch notice go out at once (the bot asks the rep first when they are missing). */
export const WITH_DELIVERY = {
  address: "上海市浦东新区张江路100号",
  contacts: { create: { name: "王经理", phone: "13800138000" } },
} as const;
